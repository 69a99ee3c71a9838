// The few icons the panel needs, drawn with currentColor so they follow Figma's theme.
const common = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: 'false' } as const;

export const CloseIcon = () => (
  <svg {...common}>
    <path d="M4.5 4.5l7 7m0-7l-7 7" stroke="currentColor" stroke-width="1.2" fill="none" stroke-linecap="round" />
  </svg>
);

export const HintIcon = () => (
  <svg {...common}>
    <circle cx="8" cy="8" r="5.5" stroke="currentColor" fill="none" />
    <path d="M8 7.2v3.6M8 5.2v.1" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" />
  </svg>
);

export const CheckIcon = () => (
  <svg {...common}>
    <path d="M4 8.5l2.5 2.5L12 5.5" stroke="currentColor" stroke-width="1.4" fill="none" stroke-linecap="round" stroke-linejoin="round" />
  </svg>
);

export const PinIcon = () => (
  <svg {...common}>
    <path d="M6 2.5h4l-.5 4 2 2v1h-7v-1l2-2zM8 9.5v4" stroke="currentColor" fill="none" stroke-linejoin="round" />
  </svg>
);
