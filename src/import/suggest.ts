/**
 * Edit distance with adjacent transpositions (optimal string alignment): `NC` is one step from
 * `CN`, `INFLUENCE_OPERATOIN` one from `INFLUENCE_OPERATION`. Case is ignored.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toUpperCase();
  const t = b.toUpperCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j += 1) d[0][j] = j;
  for (let i = 1; i <= s.length; i += 1) {
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/**
 * The allowed values closest to a wrong one, when any is close: within a third of the value's
 * length (at least one edit), at most three, nearest first. A value that is a prefix of exactly one
 * allowed value (`INFLUENCE` for `INFLUENCE_OPERATION`) suggests that value. A value of three
 * characters or fewer gets a hint only when one allowed value is nearer than all others (`NC`: `CN`).
 */
export function closest(value: string, allowed: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(value.length / 3));
  const scored: [string, number][] = [];
  const prefixed: string[] = [];
  for (const candidate of allowed) {
    const distance = editDistance(value, candidate);
    if (distance <= limit) scored.push([candidate, distance]);
    else if (value.length >= 3 && candidate.toUpperCase().startsWith(value.toUpperCase())) prefixed.push(candidate);
  }
  scored.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
  if (scored.length === 0 && prefixed.length === 1) return prefixed;
  // A short value (a country code) is one edit from many others: only a single nearest one is a hint.
  if (value.length <= 3) return scored.length > 0 && scored.filter(([, d]) => d === scored[0][1]).length === 1 ? [scored[0][0]] : [];
  return scored.slice(0, 3).map(([candidate]) => candidate);
}

/** "did you mean A?" / "did you mean A, B or C?", or undefined when nothing is close. */
export function didYouMean(value: string, allowed: Iterable<string>): string | undefined {
  const near = closest(value, allowed);
  if (near.length === 0) return undefined;
  const list = near.length === 1 ? near[0] : `${near.slice(0, -1).join(", ")} or ${near[near.length - 1]}`;
  return `did you mean ${list}?`;
}
