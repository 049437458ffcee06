import { getMetadataStorage } from 'class-validator';
type Lookup = ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas'];
type ValidationMetadata = ReturnType<Lookup>[number];

const memoized = new WeakSet<object>();

/**
 * Makes class-validator's per-class rule lookup, and its grouping by property, cache hits.
 * Unmemoized, every validated object walks every decorated class of the process to find its
 * class's ancestors (typestack/class-validator #2686): it was the largest single cost of accepting
 * a submission. A class's rules are all
 * registered when its module loads, before it can be validated; a rule registered later (a module
 * loaded late) empties the cache, so a lookup never misses a rule. Idempotent.
 */
export function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage();
  if (memoized.has(storage)) return;
  memoized.add(storage);

  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  // Keyed by the looked-up array, which the cache below keeps the same for a class: the executor
  // groups a class's rules by property for every object it validates.
  const grouped = new WeakMap<ValidationMetadata[], ReturnType<typeof group>>();
  const register = storage.addValidationMetadata.bind(storage);
  let cache = new WeakMap<Function, Map<string, ValidationMetadata[]>>();

  storage.addValidationMetadata = (metadata: ValidationMetadata): void => {
    cache = new WeakMap();
    register(metadata);
  };
  storage.groupByPropertyName = (metadata: ValidationMetadata[]) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    // Shared, not copied: class-validator only reads it (and its grouping).
    return rules;
  };
}
