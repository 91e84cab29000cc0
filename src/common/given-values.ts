/**
 * The fields `names` of a filter that were given, as a resolved filter holds them: a field that is
 * omitted or null does not filter, so it is left out rather than carried as null.
 */
export function givenValues<F extends object, N extends keyof F>(filter: F, ...names: N[]): { [K in N]?: NonNullable<F[K]> } {
  const given: { [K in N]?: NonNullable<F[K]> } = {};
  for (const name of names) {
    const value = filter[name];
    if (value !== null && value !== undefined) given[name] = value as NonNullable<F[N]>;
  }
  return given;
}
