// ES module entry point: the same functions as the CommonJS one (index.js).
import reader from './index.js'

export const {
  ready,
  open,
  seal,
  inspect,
  Keys,
  parseKeys,
  parseKeyFile,
  readKeyFile,
  generateKey,
  kidOf,
  REASONS,
  RefusedError,
  KeyError,
  KeyFileError,
  SealError,
  sessionReader,
  koaSessionReader,
  DEFAULT_MAX_LEN,
  DEFAULT_ABSOLUTE_LIFETIME_MS,
  DEFAULT_SKEW_MS,
  DEFAULT_MAX_AGE_MS,
} = reader
export default reader
