// Session controls' icons, in the stroke style of ui/icons.
const base = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const PlayIcon = () => (<svg {...base} aria-hidden><path d="M7 4v16l13-8z" /></svg>);
export const PauseIcon = () => (<svg {...base} aria-hidden><path d="M8 5v14M16 5v14" /></svg>);
export const ResetIcon = () => (<svg {...base} aria-hidden><path d="M3 12a9 9 0 1 0 3-6.7L3 8" /><path d="M3 3v5h5" /></svg>);
export const NextIcon = () => (<svg {...base} aria-hidden><path d="M5 4l10 8-10 8zM19 5v14" /></svg>);
export const AgendaIcon = () => (<svg {...base} aria-hidden><path d="M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01" /></svg>);
export const VoteIcon = () => (<svg {...base} aria-hidden><circle cx="7" cy="12" r="3" /><circle cx="17" cy="7" r="3" /><circle cx="17" cy="17" r="3" /></svg>);
export const LockIcon = () => (<svg {...base} aria-hidden><rect x="4" y="11" width="16" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" /></svg>);
export const UnlockIcon = () => (<svg {...base} aria-hidden><rect x="4" y="11" width="16" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 7.5-2" /></svg>);
export const EyeIcon = () => (<svg {...base} aria-hidden><path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" /><circle cx="12" cy="12" r="3" /></svg>);
export const FollowIcon = () => (<svg {...base} aria-hidden><circle cx="12" cy="12" r="8" /><circle cx="12" cy="12" r="3" /></svg>);
export const GatherIcon = () => (<svg {...base} aria-hidden><path d="M12 2v5M12 17v5M2 12h5M17 12h5" /><circle cx="12" cy="12" r="3" /></svg>);
