/** Sessions (DESIGN §4): schema, migrations, files and the seed's rubric. Pure TypeScript. */
export * from './schema';
export * from './migrations';
export * from './file-format';
export * from './rubric';
