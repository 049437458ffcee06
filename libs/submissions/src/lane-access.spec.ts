import { Requester } from '@verdict/contracts';
import { LaneNotAllowedError, checkLaneAllowed } from './lane-access';

describe('checkLaneAllowed', () => {
  const contestOnly: Requester = { tenantId: 'acme', isAdmin: false, lanes: ['contest'] };
  const refusal = (fn: () => void): LaneNotAllowedError => {
    try {
      fn();
    } catch (error) {
      return error as LaneNotAllowedError;
    }
    throw new Error('not refused');
  };

  it('admits a lane the key allows, named or defaulted', () => {
    expect(() => checkLaneAllowed(contestOnly, 'contest', { lane: 'practice', defaultOf: 'a batch' })).not.toThrow();
    expect(() => checkLaneAllowed(contestOnly, undefined, { lane: 'contest', defaultOf: 'a batch' })).not.toThrow();
  });

  it('refuses a lane named, forbidden, naming the field lane, the lane and the lanes the key may use', () => {
    const error = refusal(() => checkLaneAllowed(contestOnly, 'practice', { lane: 'practice', defaultOf: 'a batch' }));
    expect(error).toBeInstanceOf(LaneNotAllowedError);
    expect(error.kind).toBe('forbidden');
    expect(error.problems).toEqual([{ field: 'lane', message: 'this API key may not use lane practice; it may use contest' }]);
  });

  it('refuses the default lane when none is named, saying it is the default and to set lane', () => {
    const error = refusal(() => checkLaneAllowed(contestOnly, undefined, { lane: 'practice', defaultOf: 'a batch' }));
    expect(error.problems).toEqual([
      { field: 'lane', message: "this API key may not use lane practice (a batch's default when lane is not set: set lane to one the key may use); it may use contest" },
    ]);
  });

  it('admits every lane to a requester without lanes, and to an admin whatever it carries', () => {
    for (const lane of ['live', 'contest', 'practice'] as const) {
      expect(() => checkLaneAllowed({ tenantId: 'acme', isAdmin: false }, lane, { lane: 'live', defaultOf: 'a submission' })).not.toThrow();
      expect(() => checkLaneAllowed({ tenantId: null, isAdmin: true, lanes: [] }, lane, { lane: 'live', defaultOf: 'a submission' })).not.toThrow();
    }
  });
});
