/** Scripts and functions: their first argument is the script (or its SHA, or the function), the second the number of keys. */
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

/**
 * What a Redis command's span records as its `db.statement`: the command and the keys it touches,
 * never the values. The instrumentation's default records every argument of EVALSHA, HMGET and
 * many others, and here those carry submissions' source and tests (hidden tests among them),
 * tenants' records and webhook payloads: they would leak into the trace backend, and cost on every
 * span in proportion to a submission's size.
 */
export function redisStatement(command: string, args: ReadonlyArray<unknown>): string {
  const name = command.toUpperCase();
  let shown: string[];
  let rest: number;
  if (SCRIPT_COMMANDS.has(command.toLowerCase()) && args.length >= 2) {
    const keys = Number(args[1]);
    const keyCount = Number.isInteger(keys) && keys >= 0 ? Math.min(keys, args.length - 2) : 0;
    // EVAL's first argument is the script's text: named, not shown.
    const script = name.startsWith('EVALSHA') || name.startsWith('FCALL') ? String(args[0]) : '[script]';
    shown = [script, String(keyCount), ...args.slice(2, 2 + keyCount).map(String)];
    rest = args.length - 2 - keyCount;
  } else {
    // Nearly every data command's first argument is its key.
    shown = args.slice(0, 1).map(String);
    rest = args.length - shown.length;
  }
  return [name, ...shown, ...(rest > 0 ? [`[${rest} other arguments]`] : [])].join(' ');
}
