/** Small line icons for the guest page's states (inline SVG: no icon font, no emoji font needed on the phone). */
const common = { width: 48, height: 48, viewBox: '0 0 24 24', fill: 'none', strokeWidth: 1.6, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true } as const;

export function WaitingIcon() {
  return (
    <svg {...common} stroke="#0f766e">
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </svg>
  );
}

export function ProblemIcon() {
  return (
    <svg {...common} stroke="#d4380d">
      <path d="M12 3 2 20h20L12 3z" />
      <path d="M12 10v4M12 17h.01" />
    </svg>
  );
}

export function DoneIcon() {
  return (
    <svg {...common} stroke="#06c755">
      <circle cx="12" cy="12" r="9" />
      <path d="m8 12 3 3 5-6" />
    </svg>
  );
}
