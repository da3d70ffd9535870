// Header maps as the platforms hand them over: plain objects whose names may come in any case
// (some platforms lowercase them, a few uppercase them), or a fetch `Headers` object.

/** The value of header `name` (compared without case) in `headers`, or undefined. */
export function findHeader(headers, name) {
  if (!headers || typeof headers !== 'object') return undefined
  if (typeof headers.get === 'function' && typeof headers.forEach === 'function') {
    const value = headers.get(name)
    return value === null ? undefined : value
  }
  const wanted = name.toLowerCase()
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) {
      const value = headers[key]
      return Array.isArray(value) ? value.join(', ') : value
    }
  }
  return undefined
}

/**
 * A copy of `headers` without any spelling of `name`, then with `name: value` when `value` is a
 * string. The caller's object is not changed.
 */
export function withHeader(headers, name, value) {
  const out = {}
  const wanted = name.toLowerCase()
  if (headers && typeof headers === 'object') {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() !== wanted) out[key] = headers[key]
    }
  }
  if (typeof value === 'string') out[name] = value
  return out
}

/** A plain object of a fetch `Headers` (names lowercased, as fetch gives them). */
export function plainHeaders(headers) {
  if (!headers || typeof headers !== 'object') return {}
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    const out = {}
    headers.forEach((value, key) => {
      out[key] = value
    })
    return out
  }
  return headers
}
