/**
 * MT-2 "Checkout across microservices" — model state (plain data; checkpoints clone it).
 *
 * Nodes (one per group): web-1 (storefront: the client workload), order-1, inventory-1,
 * payment-1 (services with their own durable stores), provider-1 (the external payment
 * provider, Stripe-like, with idempotency keys), coord-1 (saga orchestrator / 2PC
 * coordinator with its durable log) and log-1 (the event log of event sourcing).
 *
 * Per checkout id (cid) each service keeps its own record; the omniscient `ledger`
 * (monitors only, never protocol decisions) follows every order to its end. When an
 * order is finished and nothing about it can change any more, it is *settled*: every
 * service forgets it and only counters remain, so checkpoints stay small.
 */
import type { Histogram } from '../../histogram';

export type Strategy = 'saga' | '2pc' | 'es';

export type OrderStatus = 'pending' | 'completed' | 'failed';

export interface OrderRec {
  status: OrderStatus;
  created_ms: number;
  /** Why it failed: declined, out-of-stock, timeout, aborted… */
  reason: string;
}

export interface PayRec {
  /** intent: sent to the provider, outcome not recorded yet (the uncertainty window). */
  status: 'intent' | 'charged' | 'declined' | 'authorized' | 'refused';
  op: 'charge' | 'authorize' | 'capture';
  key: string;
  attempt: number;
  sent_ms: number;
  chargeId: string;
  /** Who asked (orchestrator / coordinator / the event consumer), to reply to. */
  replyTo: string;
  card: string;
}

export interface Charge {
  cid: string;
  key: string;
  refunded: boolean;
  t_ms: number;
}

/** Saga orchestrator: one saga per checkout, its log is durable. */
export interface SagaRec {
  step: number; // 1 create-order, 2 reserve, 3 charge, 4 confirm; 0 = compensating
  state: 'running' | 'compensating' | 'done' | 'compensated';
  attempt: number;
  card: string;
  started_ms: number;
  /** Steps that committed (to compensate in reverse). */
  committed: string[];
  compensated: string[];
  chargeUnknown: boolean;
  /** seq of the latest evidence in this saga's chain (each compensation cites the one before). */
  chainEv: number;
}

/** 2PC coordinator log entry. */
export interface TxRec {
  decision: 'none' | 'commit' | 'abort';
  votes: Record<string, boolean>;
  done: string[];
  card: string;
  started_ms: number;
}

/** 2PC participant: a prepared transaction holding locks. */
export interface Prepared {
  voted_ms: number;
  asked: number;
}

export interface LogEvent {
  off: number;
  type: string;
  cid: string;
  card: string;
}

export interface Consumer {
  /** Next offset to read (volatile; restart resumes from the committed one at the log). */
  pos: number;
  headSeen: number;
  /** A payment consumer waits for the provider before it moves on. */
  busy: boolean;
  waitCid: string;
  waitOff: number;
  lagOver: boolean;
  lagFrom: number;
}

export interface LedgerRec {
  created_ms: number;
  status: OrderStatus;
  resolved_ms: number;
  charges: number;
  live: number;
  held: boolean;
  sold: boolean;
  /** When the strong-form invariant broke (charge without a live order / second charge). */
  orphanSince: number | null;
  dupSince: number | null;
  reported: string[];
  compensations: number;
  reason: string;
}

export interface Stats {
  started: number;
  completed: number;
  failed: number;
  /** Failed orders whose committed steps were undone (counted when settled). */
  compensated: number;
  latencies: Histogram;
  repairs: number;
  repairTimes: Histogram;
  orphansDetected: number;
  doubleCharges: number;
  dedups: number;
  compensations: number;
  blockedMax: number;
  blockedTotal: number;
  lateReplies: number;
  refused: number;
  settled: number;
}

export interface CheckoutState {
  strategy: Strategy;
  idem: boolean;
  nextCid: number;
  nextCharge: number;
  /** Emulated process crashes (byzantine crash points): node → restart time. */
  emuDown: Record<string, number>;
  armed: Record<string, string>;
  /** seq of the evidence that a process crashed (emulated crash points), for citing. */
  crashEv: Record<string, number>;
  /** Last time each service heard its upstream (coordinator or log), and miss streaks. */
  heard: Record<string, number>;
  missStreak: Record<string, number>;
  missEv: Record<string, number[]>;
  hbRound: number;

  orders: Record<string, OrderRec>;
  stock: number;
  held: Record<string, number>;
  sold: number;
  payments: Record<string, PayRec>;
  provider: { charges: Record<string, Charge>; byKey: Record<string, { result: string; chargeId: string }>; declineNext: boolean; lastDedupEv: number | null; lastDoubleEv: number | null; lastFreshRetryEv: number | null };
  providerLatency: number;
  sagas: Record<string, SagaRec>;
  txs: Record<string, TxRec>;
  prepared: Record<string, Record<string, Prepared>>;
  log: { base: number; events: LogEvent[]; ids: Record<string, number>; committed: Record<string, number> };
  consumers: Record<string, Consumer>;
  outbox: Record<string, LogEvent[]>;
  processed: Record<string, Record<string, true>>;
  recon: { open: Record<string, { cid: string; detected_ms: number; reason: string }>; runs: number; lastRun_ms: number };

  ledger: Record<string, LedgerRec>;
  /** Last recorded value per scope|gauge, and the seq of that probe. */
  gauges: Record<string, number>;
  gaugeEv: Record<string, number>;
  stats: Stats;
  lastCheck_ms: number;
}

export const NODES = {
  web: 'web-1',
  order: 'order-1',
  inventory: 'inventory-1',
  payment: 'payment-1',
  provider: 'provider-1',
  coord: 'coord-1',
  log: 'log-1',
} as const;

export const SCOPE_OF: Record<string, string> = {
  'web-1': 'storefront',
  'order-1': 'order',
  'inventory-1': 'inventory',
  'payment-1': 'payment',
  'provider-1': 'provider',
  'coord-1': 'coordinator',
  'log-1': 'log',
};

export const SERVICES = [NODES.order, NODES.inventory, NODES.payment] as const;

export const GAUGES = ['in_doubt', 'blocked_ms', 'provider_latency_ms', 'consumer_lag', 'orphans_open'] as const;
