// The client's copy of the session: ONE storage entry holding `{ token, epoch }`, and the ONE
// place that decides what an answer does to it (`acceptAnswer`).
//
// The write-generation rule of the token format (shared/token-format.md, "What a client does
// with them"; issue #11) goes into `acceptAnswer` and nowhere else: the entry already keeps the
// epoch, every answer arrives here with what its request sent (`sent.token`, `sent.epoch`), and
// login, logout and forget already move the epoch. Until that rule lands, every answer with a
// token replaces the stored one, as before.

const EMPTY = Object.freeze({ token: null, epoch: 0 })

/** The entry as stored: a JSON string (localStorage keeps only strings); an older plain token reads as one. */
function decode(raw) {
  if (raw === undefined || raw === null || raw === '') return EMPTY
  let value = raw
  if (typeof raw === 'string') {
    if (raw[0] !== '{') return { token: raw, epoch: 0 } // a token stored by examples/miniprogram/session.js
    try {
      value = JSON.parse(raw)
    } catch {
      return EMPTY
    }
  }
  if (!value || typeof value !== 'object') return EMPTY
  const token = typeof value.token === 'string' && value.token !== '' ? value.token : null
  const epoch = Number.isSafeInteger(value.epoch) && value.epoch >= 0 ? value.epoch : 0
  return { token, epoch }
}

/**
 * The session entry in `storage` (`{ get(key), set(key, string), remove(key) }`) under `key`.
 */
export function createStore(storage, key) {
  function read() {
    return decode(storage.get(key))
  }

  function write(entry) {
    storage.set(key, JSON.stringify({ token: entry.token, epoch: entry.epoch }))
  }

  /** What a request carries and remembers: the stored token (or null) and the epoch, now. */
  function snapshot() {
    return read()
  }

  /** Deletes the token and starts a new epoch (logout, forget). */
  function forget() {
    const { epoch } = read()
    write({ token: null, epoch: epoch + 1 })
  }

  /**
   * What one answer does to the stored session, decided in one step (read, decide, write).
   *
   * `answer` is `{ kind, sent, value, ok }`: `kind` is 'login', 'logout' or 'request'; `sent` is
   * the snapshot taken when the request was sent; `value` is the session header of the answer
   * (undefined when absent, '' when the server destroyed the session, else a token); `ok` says
   * whether the status was 2xx. Returns 'stored', 'deleted' or 'unchanged'.
   *
   * The write-generation rule (issue #11) replaces the body of this function.
   */
  function acceptAnswer(answer) {
    const { kind, value, ok } = answer
    const current = read()
    if (kind === 'logout' && ok) {
      // A logout forgets the token on any 2xx, whatever the header says (a gateway may drop empty headers).
      write({ token: null, epoch: current.epoch + 1 })
      return 'deleted'
    }
    if (value === undefined || value === null) return 'unchanged'
    if (value === '') {
      if (current.token === null) return 'unchanged'
      write({ token: null, epoch: current.epoch + 1 })
      return 'deleted'
    }
    // Today's rule: the newest answer with a token wins. A login starts a new epoch.
    write({ token: value, epoch: kind === 'login' ? current.epoch + 1 : current.epoch })
    return 'stored'
  }

  return { read, snapshot, forget, acceptAnswer }
}
