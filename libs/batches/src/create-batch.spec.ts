import { CreateBatchDto, Requester } from '@verdict/contracts';
import { LaneNotAllowedError } from '@verdict/submissions';
import { CreateBatch } from './create-batch';

/** A dependency that must not be reached: any use of it fails the spec. */
const untouched = (name: string): never =>
  new Proxy({}, { get: (_target, property) => { throw new Error(`${name}.${String(property)} was used by a refused batch`); } }) as never;

describe("CreateBatch and the key's lanes", () => {
  const deps = ['planner', 'submissions', 'batches', 'queue', 'policy', 'webhooks', 'quotas', 'admission', 'metrics'].map(untouched) as unknown as ConstructorParameters<typeof CreateBatch>;
  const create = new CreateBatch(...deps);
  const item = { language: 'python', source: 'print(1)\n', tests: [{ input: '', expectedOutput: '1\n' }] };
  const contestOnly: Requester = { tenantId: 'acme', isAdmin: false, lanes: ['contest'] };

  it('refuses a batch in its default lane (practice) when the key may not use it, naming lane and the default, before reading or writing anything', async () => {
    const refusal = await create.execute({ submissions: [item] } as CreateBatchDto, contestOnly).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LaneNotAllowedError);
    expect(refusal).toMatchObject({
      kind: 'forbidden',
      problems: [{ field: 'lane', message: "this API key may not use lane practice (a batch's default when lane is not set: set lane to one the key may use); it may use contest" }],
    });
  });

  it('refuses a lane named that the key may not use, whole', async () => {
    const refusal = await create.execute({ lane: 'practice', submissions: [item, item] } as CreateBatchDto, { ...contestOnly, lanes: ['live', 'contest'] }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ kind: 'forbidden', problems: [{ field: 'lane', message: 'this API key may not use lane practice; it may use live, contest' }] });
  });
});
