// Canvas toolbar icons, same stroke style as ui/icons.
const base = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const TextIcon = () => (<svg {...base} aria-hidden><path d="M5 6V4h14v2M12 4v16M9 20h6" /></svg>);
export const FrameIcon = () => (<svg {...base} aria-hidden><path d="M7 3v18M17 3v18M3 7h18M3 17h18" /></svg>);
export const CardIcon = () => (<svg {...base} aria-hidden><rect x="3" y="5" width="18" height="14" rx="2" /><path d="M7 9h10M7 13h6" /></svg>);
export const AlignIcon = () => (<svg {...base} aria-hidden><path d="M4 3v18M8 6h10v4H8zM8 14h6v4H8z" /></svg>);
export const GridIcon = () => (<svg {...base} aria-hidden><rect x="3" y="3" width="7" height="7" rx="1" /><rect x="14" y="3" width="7" height="7" rx="1" /><rect x="3" y="14" width="7" height="7" rx="1" /><rect x="14" y="14" width="7" height="7" rx="1" /></svg>);
export const DuplicateIcon = () => (<svg {...base} aria-hidden><rect x="8" y="8" width="13" height="13" rx="2" /><path d="M16 8V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h3" /></svg>);
export const PasteIcon = () => (<svg {...base} aria-hidden><rect x="6" y="4" width="12" height="17" rx="2" /><path d="M9 4V3h6v1M9 10h6M9 14h4" /></svg>);
export const SearchIcon = () => (<svg {...base} aria-hidden><circle cx="11" cy="11" r="7" /><path d="m20 20-4-4" /></svg>);
export const HelpIcon = () => (<svg {...base} aria-hidden><circle cx="12" cy="12" r="9" /><path d="M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 17h.01" /></svg>);
export const ChevronUpIcon = () => (<svg {...base} aria-hidden><path d="m6 15 6-6 6 6" /></svg>);
export const ChevronDownIcon = () => (<svg {...base} aria-hidden><path d="m6 9 6 6 6-6" /></svg>);
