/**
 * An "only tappers go on" step names an earlier send step by its position. Moving or removing steps changes
 * positions, so those references follow: to the send step's new place, or, when it was removed, to the nearest send
 * step still before them (or the first step, which the server then refuses with a field error rather than a guess).
 */
type Step = { kind: string; step?: number };

function remap<S extends Step>(steps: S[], newIndexOf: (old: number) => number | undefined): S[] {
  return steps.map((step, at) => {
    if (step.kind !== 'if_clicked' || step.step === undefined) return step;
    const moved = newIndexOf(step.step);
    if (moved !== undefined && moved < at) return { ...step, step: moved };
    const earlierSend = steps.slice(0, at).map((s, i) => (s.kind === 'send' ? i : -1)).filter((i) => i >= 0).at(-1);
    return { ...step, step: earlierSend ?? 0 };
  });
}

/** The steps with the one at `from` moved to `to`. */
export function moveStep<S extends Step>(steps: readonly S[], from: number, to: number): S[] {
  const order = steps.map((_, i) => i);
  const [taken] = order.splice(from, 1);
  order.splice(to, 0, taken!);
  const reordered = order.map((old) => steps[old]!);
  return remap(reordered, (old) => order.indexOf(old));
}

/** The steps without the one at `index`. */
export function removeStep<S extends Step>(steps: readonly S[], index: number): S[] {
  const kept = steps.filter((_, i) => i !== index);
  return remap(kept, (old) => (old === index ? undefined : old > index ? old - 1 : old));
}
