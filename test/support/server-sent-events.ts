/** One message of a text/event-stream, as a browser's EventSource would see it (comments kept apart). */
export interface ServerSentEvent {
  id?: string;
  type: string;
  data: string;
}

export interface EventStream {
  status: number;
  contentType: string | null;
  /** Events in order; `comments` counts comment lines (heartbeats). */
  events: ServerSentEvent[];
  comments: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once `predicate` holds for the events and comments received so far. */
  until(predicate: (stream: EventStream) => boolean): Promise<void>;
  close(): void;
}

/** Opens a server-sent events stream with fetch and parses it as the WHATWG spec says (enough for tests). */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  /** Predicates waited on, each with what settles its promise; checked after every line. */
  const waiters = new Set<{ holds: () => boolean; resolve: () => void; reject: (error: Error) => void }>();
  const settle = (ended: boolean) => {
    for (const waiter of waiters) {
      if (waiter.holds()) waiter.resolve();
      else if (ended) waiter.reject(new Error(`the stream ended first, after ${JSON.stringify(stream.events.map((e) => e.type))}`));
      else continue;
      waiters.delete(waiter);
    }
  };
  const stream: EventStream = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events: [],
    comments: 0,
    ended: Promise.resolve(),
    until: (predicate) =>
      new Promise<void>((resolve, reject) => {
        waiters.add({ holds: () => predicate(stream), resolve, reject });
        settle(finished);
      }),
    close: () => abort.abort(),
  };
  let finished = false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  stream.ended = (async () => {
    let buffer = '';
    let event: Partial<ServerSentEvent> & { data?: string } = {};
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (event.data !== undefined) stream.events.push({ id: event.id, type: event.type ?? 'message', data: event.data });
            event = {};
          } else if (line.startsWith(':')) stream.comments++;
          else {
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
            else if (field === 'id') event.id = value;
            else if (field === 'event') event.type = value;
          }
          settle(false);
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      finished = true;
      settle(true);
    }
  })();
  return stream;
}
