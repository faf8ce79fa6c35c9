/** Persistence API for hosts (the UI, the worker, the Node server): RDB and AOF, bytes in and out, no I/O. */
export { rdbSave, rdbLoad, rdbParse, RdbError, RDB_VERSION, type RdbLoadResult, type RdbSaveOptions, type RdbLoadOptions } from './rdb';
export {
  aofLoad, aofRewrite, aofContents, aofDirectory, rewriteAppendOnlyFile, respCommand, AofError,
  type AofLoadResult, type AofLoadOptions,
} from './aof';
export { crc64, Crc64 } from './crc64';
export { PersistenceState } from './state';
