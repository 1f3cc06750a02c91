/**
 * G-vector algebra (DESIGN §2): parse, print, meet, order.
 * Pure TypeScript — no Node, DOM or Electron — so main, renderer and tests share it.
 */
export {
  COMPONENTS,
  COMPONENT_LABELS,
  GVectorError,
  ORDERS,
  SCOPES,
  VISIBILITIES,
  type AuthG,
  type ComponentLabel,
  type ComponentName,
  type FormatOptions,
  type GVector,
  type GVectorErrorComponent,
  type Idempotence,
  type Order,
  type ParseOptions,
  type Recency,
  type Scope,
  type Visibility,
} from './types';
export { formatDuration, parseDuration } from './duration';
export { parseGVector } from './parse';
export { formatComponent, formatGVector } from './format';
export {
  authStrength,
  compareStrength,
  componentRank,
  gvectorEquals,
  leq,
  meet,
  normalizeGVector,
  weakerComponents,
} from './lattice';
export { isSignatureLabel } from './labels';
export { extractGVectors } from './extract';
export { composePath, describePath, droppedComponents, type ComponentDrop, type ComposedPath, type HopInput } from './path';
