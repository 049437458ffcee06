/**
 * The metric names a PromQL expression selects: the identifiers that are vector selectors (and
 * `{__name__="..."}` matchers), never functions, aggregation operators, keywords, label names in
 * matchers, in by/without/on/ignoring/group_left/group_right lists or in string arguments, numbers
 * or durations. Grafana's variables ($__rate_interval, ${datasource}, $__range) may stand where
 * PromQL has a duration or a value.
 *
 * A lexer that knows where PromQL puts names, not a full parser: what it must tell apart is which
 * identifiers are metrics, and in PromQL that is decided by the token around each one.
 */

const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'atan2', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);
/** Keywords followed by a parenthesized list of label names. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

type Token = { kind: 'ident' | 'punct' | 'other'; text: string };

function closing(expr: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      i = endOfString(expr, i) - 1;
    } else if (c === open) {
      depth++;
    } else if (c === close && --depth === 0) {
      return i + 1;
    }
  }
  throw new Error(`unbalanced ${open} at ${start} in: ${expr}`);
}

function endOfString(expr: string, start: number): number {
  const quote = expr[start];
  for (let i = start + 1; i < expr.length; i++) {
    if (quote !== '`' && expr[i] === '\\') i++;
    else if (expr[i] === quote) return i + 1;
  }
  throw new Error(`unterminated string at ${start} in: ${expr}`);
}

/** `__name__` equality matchers inside a `{...}` block. */
function namesInMatchers(block: string): string[] {
  return [...block.matchAll(/(?:^|[{,])\s*__name__\s*=\s*(["'`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2]);
}

function tokenize(expr: string): { tokens: Token[]; matcherNames: string[] } {
  const tokens: Token[] = [];
  const matcherNames: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < expr.length && expr[i] !== '\n') i++;
    } else if (c === '"' || c === "'" || c === '`') {
      const end = endOfString(expr, i);
      tokens.push({ kind: 'other', text: expr.slice(i, end) });
      i = end;
    } else if (c === '{') {
      const end = closing(expr, i, '{', '}');
      matcherNames.push(...namesInMatchers(expr.slice(i, end)));
      tokens.push({ kind: 'other', text: '{}' });
      i = end;
    } else if (c === '[') {
      // A range or a subquery: durations, a step, or a Grafana variable; no names.
      const end = closing(expr, i, '[', ']');
      tokens.push({ kind: 'other', text: '[]' });
      i = end;
    } else if (c === '$') {
      const m = /^\$(\{[^}]*\}|\w+)/.exec(expr.slice(i));
      if (!m) throw new Error(`a lone $ at ${i} in: ${expr}`);
      tokens.push({ kind: 'other', text: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      // Numbers, hex, exponents and durations (5m, 1h30m) are one token.
      let j = i + 1;
      while (j < expr.length && (/[0-9a-zA-Z_.]/.test(expr[j]) || (/[-+]/.test(expr[j]) && /[eE]/.test(expr[j - 1])))) j++;
      tokens.push({ kind: 'other', text: expr.slice(i, j) });
      i = j;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))!;
      tokens.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else {
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return { tokens, matcherNames };
}

export function metricNames(expr: string): string[] {
  const { tokens, matcherNames } = tokenize(expr);
  const names = new Set(matcherNames);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'ident') continue;
    const word = token.text.toLowerCase();
    const next = tokens[i + 1];
    if (LABEL_LIST_KEYWORDS.has(word) && next?.text === '(') {
      // Skip the label list: by (le, route), group_left (app), on () ...
      let j = i + 1;
      while (j < tokens.length && tokens[j].text !== ')') j++;
      i = j;
      continue;
    }
    // PromQL's keywords and aggregation operators are case-insensitive; metric names are not.
    if (KEYWORDS.has(word) || AGGREGATIONS.has(word)) continue;
    if (next?.text === '(') continue; // a function call
    names.add(token.text);
  }
  return [...names].sort();
}
