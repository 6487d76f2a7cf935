// Small inline icons (stroke style), so the app needs no icon font or network.
const base = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const UndoIcon = () => (<svg {...base} aria-hidden><path d="M9 14 4 9l5-5" /><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" /></svg>);
export const RedoIcon = () => (<svg {...base} aria-hidden><path d="m15 14 5-5-5-5" /><path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13" /></svg>);
export const FitIcon = () => (<svg {...base} aria-hidden><path d="M3 8V5a2 2 0 0 1 2-2h3M16 3h3a2 2 0 0 1 2 2v3M21 16v3a2 2 0 0 1-2 2h-3M8 21H5a2 2 0 0 1-2-2v-3" /></svg>);
export const PlusIcon = () => (<svg {...base} aria-hidden><path d="M12 5v14M5 12h14" /></svg>);
export const TrashIcon = () => (<svg {...base} aria-hidden><path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6" /></svg>);
export const GearIcon = () => (<svg {...base} aria-hidden><circle cx="12" cy="12" r="3" /><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" /></svg>);
export const HomeIcon = () => (<svg {...base} aria-hidden><path d="m3 10 9-7 9 7v10a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z" /></svg>);
export const LinkIcon = () => (<svg {...base} aria-hidden><path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" /><path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" /></svg>);
export const FileIcon = () => (<svg {...base} aria-hidden><path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z" /><path d="M14 3v6h6" /></svg>);
export const ServerIcon = () => (<svg {...base} aria-hidden><rect x="3" y="4" width="18" height="7" rx="2" /><rect x="3" y="13" width="18" height="7" rx="2" /><path d="M7 7.5h.01M7 16.5h.01" /></svg>);
export const BoardIcon = () => (<svg {...base} aria-hidden><rect x="3" y="3" width="18" height="18" rx="2" /><path d="M8 8h3v3H8zM13 13h3v3h-3z" /></svg>);
export const CloseIcon = () => (<svg {...base} aria-hidden><path d="M18 6 6 18M6 6l12 12" /></svg>);
export const ListIcon = () => (<svg {...base} aria-hidden><path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01" /></svg>);
export const MergeIcon = () => (<svg {...base} aria-hidden><circle cx="6" cy="6" r="2" /><circle cx="6" cy="18" r="2" /><circle cx="18" cy="12" r="2" /><path d="M8 6h3a4 4 0 0 1 4 4v0M8 18h3a4 4 0 0 0 4-4v0" /></svg>);
export const MapIcon = () => (<svg {...base} aria-hidden><rect x="2" y="4" width="7" height="5" rx="1" /><rect x="2" y="15" width="7" height="5" rx="1" /><rect x="15" y="9.5" width="7" height="5" rx="1" /><path d="M9 6.5h2.5a2 2 0 0 1 2 2V12M9 17.5h2.5a2 2 0 0 0 2-2V12h1.5" /></svg>);
export const ChartIcon = () => (<svg {...base} aria-hidden><path d="M3 3v18h18" /><path d="M7 16v-3M12 16V8M17 16v-6" /></svg>);
