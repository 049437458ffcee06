import { driverDiagnostic } from './driver-diagnostic';

describe('driverDiagnostic', () => {
  it('finds the driver\'s message after whatever the solution printed', () => {
    expect(driverDiagnostic('looking at [1]\nverdict-driver: twoSum returned a string, expected int[]\n')).toBe('twoSum returned a string, expected int[]');
  });

  it('is null when the driver said nothing (an exception, a crash)', () => {
    expect(driverDiagnostic('Traceback (most recent call last):\nValueError: no\n')).toBeNull();
    expect(driverDiagnostic('')).toBeNull();
  });
});
