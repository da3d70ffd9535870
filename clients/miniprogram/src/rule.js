// The client rule of the token format (docs/token-format.md and shared/token-format.md, "What a
// client does with them"; issue #11), step by step, as one pure decision: what one answer does
// to the stored entry `{ token, epoch }`. store.js reads the entry, calls `decide`, and writes
// what it says, in one step. The step names (`rule 2.3`, ...) are the format page's.

import { readPrefix } from './token.js'

export const RULE_1 = 'rule 1' // no session header: nothing changes
export const RULE_2_1 = 'rule 2.1' // a login's token: stored unless the epoch moved; then a new epoch
export const RULE_2_2 = 'rule 2.2' // a token answering a request of an earlier epoch: ignored
export const RULE_2_3 = 'rule 2.3' // the request carried exactly what is stored: stored
export const RULE_2_4 = 'rule 2.4' // the line of what is stored, a greater generation: stored
export const RULE_2_5 = 'rule 2.5' // anything else: ignored, and reported unless a renewal of T
export const RULE_3 = 'rule 3' // an empty header (or a logout's 2xx): deleted, or ignored

const prefixOf = (token) => (token === null ? null : readPrefix(token))
const lineOf = (token) => {
  const prefix = prefixOf(token)
  return prefix === null ? null : prefix.line
}
const sameLine = (a, b) => a !== null && b !== null && a.line === b.line

/**
 * The lost write of rule 2.5, as reported: its kind, and the line and generation of the token
 * that was not kept (`line`, `generation`), of the one the request carried (`sentLine`,
 * `sentGeneration`, null when it carried none) and of the one stored (`storedLine`,
 * `storedGeneration`). Never a token: tokens are secrets.
 */
function lostWrite(kind, r, t, s) {
  return {
    kind,
    line: r ? r.line : null,
    generation: r ? r.generation : null,
    sentLine: t ? t.line : null,
    sentGeneration: t ? t.generation : null,
    storedLine: s ? s.line : null,
    storedGeneration: s ? s.generation : null,
  }
}

/**
 * What `answer` does to the entry `current` (as read from storage just now).
 *
 * `answer` is `{ kind, sent, value, ok }`: `kind` is 'login' (the request of the login() call
 * that started a login), 'logout' or 'request'; `sent` is `{ token, epoch }` as the request
 * remembered it when sent (T and its epoch); `value` is the answer's session header (undefined
 * when absent, '' when the server destroyed the session, else a token R); `ok` says whether the
 * status was 2xx.
 *
 * Returns `{ step, outcome, entry, lost }`: the step of the rule that decided, 'stored',
 * 'deleted' or 'unchanged', the entry to write (null when unchanged), and the lost write to
 * report (rule 2.5) or null.
 */
export function decide(answer, current) {
  const { kind, sent, value, ok } = answer
  const S = current.token
  const T = sent.token
  const sameEpoch = sent.epoch === current.epoch
  const unchanged = (step) => ({ step, outcome: 'unchanged', entry: null, lost: null })

  // Rule 3: an empty header, to a request of the current epoch that carried S or a token of the
  // line of S: delete S and start a new epoch; otherwise ignore it. A logout call treats any 2xx
  // answer the same way (a gateway may drop an empty header).
  if (value === '' || (kind === 'logout' && ok)) {
    const carried = T === S || (S !== null && T !== null && lineOf(S) !== null && lineOf(T) === lineOf(S))
    if (!sameEpoch || !carried) return unchanged(RULE_3)
    return { step: RULE_3, outcome: 'deleted', entry: { token: null, epoch: current.epoch + 1 }, lost: null }
  }

  // Rule 1: an answer without the session header changes nothing.
  if (typeof value !== 'string') return unchanged(RULE_1)

  const R = value
  // Rule 2.1: a login's token is stored unless the epoch changed since that login was sent;
  // then the epoch increases (requests sent before it answered are of an earlier epoch).
  if (kind === 'login') {
    if (!sameEpoch) return unchanged(RULE_2_1)
    return { step: RULE_2_1, outcome: 'stored', entry: { token: R, epoch: current.epoch + 1 }, lost: null }
  }

  // Rule 2.2: any other request sent in an earlier epoch (before a login, logout or forget).
  if (!sameEpoch) return unchanged(RULE_2_2)

  // Rule 2.3: the request carried exactly what is stored (none included).
  if (T === S) return { step: RULE_2_3, outcome: 'stored', entry: { token: R, epoch: current.epoch }, lost: null }

  // Rule 2.4: R is of the line of S, with a greater generation: a newer write.
  const r = readPrefix(R)
  const s = prefixOf(S)
  if (sameLine(r, s) && r.generation > s.generation) {
    return { step: RULE_2_4, outcome: 'stored', entry: { token: R, epoch: current.epoch }, lost: null }
  }

  // Rule 2.5: ignore R. Unless it is a renewal of T (the line and the generation of T), a write
  // was lost to a parallel one: `refused` when R is of another line than T (the server started
  // a new session), else `same generation` (two writes were made from one token).
  const t = prefixOf(T)
  if (sameLine(r, t) && r.generation === t.generation) return unchanged(RULE_2_5)
  const kindOfLoss = sameLine(r, t) ? 'same generation' : 'refused'
  return { step: RULE_2_5, outcome: 'unchanged', entry: null, lost: lostWrite(kindOfLoss, r, t, s) }
}
