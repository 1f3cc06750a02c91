export * from './history';
export * from './models';
export * from './checker';
export * from './parse-jepsen';
