export * from './mock.cjs';
