// The simpler rules quoted in issue #11, in the shape of src/rule.js `decide`, run through the
// same checker as the real rule (parallel.test.js): each must be caught breaking a promise.
// None of them looks at the epoch: login, logout and an empty header do what they did before.

import { readPrefix } from '../src/token.js'

const generation = (token) => (token === null ? -1 : (readPrefix(token) || { generation: -1 }).generation)

/** What all three do with an empty header, a logout's 2xx and a login's token. */
function common(answer, current) {
  const { kind, value, ok } = answer
  if (value === '' || (kind === 'logout' && ok)) {
    return { step: 'delete', outcome: 'deleted', entry: { token: null, epoch: current.epoch + 1 }, lost: null }
  }
  if (typeof value !== 'string') return { step: 'no header', outcome: 'unchanged', entry: null, lost: null }
  if (kind === 'login') return { step: 'login', outcome: 'stored', entry: { token: value, epoch: current.epoch + 1 }, lost: null }
  return null
}
const store = (value, current) => ({ step: 'store', outcome: 'stored', entry: { token: value, epoch: current.epoch }, lost: null })
const ignore = { step: 'ignore', outcome: 'unchanged', entry: null, lost: null }

export const simplerRules = {
  /** Today's behaviour before issue #11: every answer with a token replaces the stored one. */
  'last arrival wins': (answer, current) => common(answer, current) || store(answer.value, current),
  /** Keep the highest generation (whatever the line). */
  'keep the highest generation': (answer, current) =>
    common(answer, current) || (generation(answer.value) >= generation(current.token) ? store(answer.value, current) : ignore),
  /** Replace if the request carried the stored token or the generation is greater. */
  'replace if the request carried the stored token or the generation is greater': (answer, current) =>
    common(answer, current) ||
    (answer.sent.token === current.token || generation(answer.value) > generation(current.token) ? store(answer.value, current) : ignore),
}
