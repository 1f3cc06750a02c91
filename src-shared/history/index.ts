/**
 * Histories of client operations as the history view and reports see them: the wire types
 * (./types), checking an outside history file with a witness (./check-text, ./witness) and
 * the picture as geometry or a standalone SVG string (./svg).
 */
export * from './types';
export * from './witness';
export * from './check-text';
export * from './svg';
