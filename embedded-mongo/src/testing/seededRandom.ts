/**
 * A repeatable source of integers in [0, n) for randomized tests (a linear congruential generator): the same
 * seed gives the same sequence, so a failure can be replayed.
 */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}
