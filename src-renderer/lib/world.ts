/** The offline base map (world-atlas countries-110m) and the map projection. */
import { geoEqualEarth, geoGraticule10, geoPath, type GeoProjection } from 'd3';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { FeatureCollection, MultiLineString, MultiPoint } from 'geojson';
import world from 'world-atlas/countries-110m.json';

const topo = world as unknown as Topology<{ countries: GeometryCollection }>;

export const countries: FeatureCollection = feature(topo, topo.objects.countries) as FeatureCollection;
export const borders: MultiLineString = mesh(topo, topo.objects.countries, (a, b) => a !== b);
export const graticule = geoGraticule10();

/** The inhabited band of latitudes: fitting to it keeps Antarctica off the projector. */
function band(south: number, north: number): MultiPoint {
  const pts: [number, number][] = [];
  for (let lon = -180; lon <= 180; lon += 10) pts.push([lon, south], [lon, north]);
  for (let lat = south; lat <= north; lat += 10) pts.push([-180, lat], [180, lat]);
  return { type: 'MultiPoint', coordinates: pts };
}

export function makeProjection(width: number, height: number, pad = 12): GeoProjection {
  return geoEqualEarth().fitExtent(
    [
      [pad, pad],
      [Math.max(pad + 1, width - pad), Math.max(pad + 1, height - pad)],
    ],
    band(-56, 78),
  );
}

export interface BaseMap {
  sphere: string;
  graticule: string;
  land: string;
  borders: string;
}

export function baseMapPaths(projection: GeoProjection): BaseMap {
  const path = geoPath(projection);
  return {
    sphere: path({ type: 'Sphere' }) ?? '',
    graticule: path(graticule) ?? '',
    land: path(countries) ?? '',
    borders: path(borders) ?? '',
  };
}
