/** What time it is: injected, so specs move time (key expiry, a secret's grace, the key cache) without waiting. */
export type Clock = () => Date;

/** Injection token of the tenants library's clock; `TenantsModule` provides the system clock. */
export const CLOCK = Symbol('TENANTS_CLOCK');

export const systemClock: Clock = () => new Date();
