/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: prom-client has no
 * parser. Every line must be a HELP, a TYPE, another comment, blank, or a sample of a family whose
 * TYPE came before it (a histogram's `_bucket`, `_sum` and `_count`); anything else throws, naming
 * the line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

export class Exposition {
  readonly families = new Map<string, Family>();
  readonly samples: Sample[] = [];

  constructor(text: string) {
    text.split('\n').forEach((line, index) => {
      try {
        this.read(line);
      } catch (error) {
        throw new Error(`line ${index + 1} is not Prometheus text format (${(error as Error).message}): ${JSON.stringify(line)}`);
      }
    });
  }

  /** The family a sample name belongs to (a histogram's series carry suffixes). */
  familyOf(sampleName: string): string | undefined {
    if (this.families.has(sampleName)) return sampleName;
    const base = sampleName.replace(/_(bucket|sum|count)$/, '');
    const family = this.families.get(base);
    return family && (family.type === 'histogram' || family.type === 'summary') ? base : undefined;
  }

  /** The sum of the samples named `name` whose labels include `labels`; 0 when there is none. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + sample.value, 0);
  }

  matching(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  }

  private read(line: string): void {
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) ?(.*)$`).exec(line);
      if (!meta) return; // another comment
      const [, kind, name, rest] = meta;
      const family = this.families.get(name) ?? { type: 'untyped', help: '' };
      if (kind === 'HELP') family.help = rest;
      else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`unknown type ${rest}`);
        if (this.samples.some((sample) => this.familyOf(sample.name) === name)) throw new Error(`TYPE of ${name} after its samples`);
        family.type = rest as Family['type'];
      }
      this.families.set(name, family);
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error('not a sample');
    const [, name, labelText, valueText] = match;
    if (!this.familyOf(name)) throw new Error(`sample of ${name} without a TYPE before it`);
    // As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case; prom-client writes "Nan".
    const special: Record<string, number> = { nan: NaN, '+inf': Infinity, inf: Infinity, '-inf': -Infinity };
    const value = valueText.toLowerCase() in special ? special[valueText.toLowerCase()] : Number(valueText);
    if (Number.isNaN(value) && valueText.toLowerCase() !== 'nan') throw new Error(`value ${valueText} is not a number`);
    this.samples.push({ name, labels: labelText === undefined ? {} : parseLabels(labelText), value });
  }
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad label at ${JSON.stringify(text.slice(at))}`);
    if (match[1] in labels) throw new Error(`label ${match[1]} twice`);
    labels[match[1]] = match[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}
