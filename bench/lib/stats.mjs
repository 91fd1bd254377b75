// The one percentile the harness uses: nearest rank over raw samples (no interpolation).

/** The p-th percentile (0-100, nearest rank) of raw samples; NaN for none. */
export function percentile(samples, p) {
  if (!samples.length) return NaN;
  const s = Float64Array.from(samples).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
