import { DECLARED_QUEUES } from './declared-queues';
import * as library from './index';

describe('DECLARED_QUEUES', () => {
  it('holds every queue declaration the library exports, each name once', () => {
    const exported = (Object.values(library) as unknown[]).filter((value) => typeof value === 'object' && value !== null && 'jobName' in value && 'jobOptions' in value && 'payload' in value);
    expect(exported.length).toBeGreaterThanOrEqual(2);
    expect(new Set(DECLARED_QUEUES)).toEqual(new Set(exported));
    expect(new Set(DECLARED_QUEUES.map((declaration) => declaration.name)).size).toBe(DECLARED_QUEUES.length);
  });
});
