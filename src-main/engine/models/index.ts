/**
 * The registry of protocol models. A scenario file names its model by id; adding a
 * scenario with a new protocol means adding a model here, not a code path elsewhere.
 */
import type { ModelDefinition } from '../model-api';
import { logReplicationModel } from './log-replication';
import { satelliteSmrModel } from './satellite-smr';
import { iotElectionModel } from './iot-election';
import { checkoutModel } from './checkout';
import { cdnConfigModel } from './cdn-config';
import { cacheInvalidationModel } from './cache-invalidation';
import { townMeetingModel } from './town-meeting';
import { hospitalShiftsModel } from './hospital-shifts';
import { supplyChainModel } from './supply-chain';

const MODELS: Record<string, ModelDefinition<unknown>> = {
  [logReplicationModel.id]: logReplicationModel,
  [satelliteSmrModel.id]: satelliteSmrModel as ModelDefinition<unknown>,
  [iotElectionModel.id]: iotElectionModel,
  [checkoutModel.id]: checkoutModel as ModelDefinition<unknown>,
  [cdnConfigModel.id]: cdnConfigModel as ModelDefinition<unknown>,
  [cacheInvalidationModel.id]: cacheInvalidationModel as ModelDefinition<unknown>,
  [townMeetingModel.id]: townMeetingModel as ModelDefinition<unknown>,
  [hospitalShiftsModel.id]: hospitalShiftsModel as ModelDefinition<unknown>,
  [supplyChainModel.id]: supplyChainModel as ModelDefinition<unknown>,
};

export function getModel(id: string): ModelDefinition<unknown> {
  const m = MODELS[id];
  if (!m) throw new Error(`unknown model "${id}" (known: ${Object.keys(MODELS).join(', ')})`);
  return m;
}

export function modelIds(): string[] {
  return Object.keys(MODELS);
}
