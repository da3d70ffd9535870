var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getOwnPropSymbols = Object.getOwnPropertySymbols;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __propIsEnum = Object.prototype.propertyIsEnumerable;
var __objRest = (source, exclude) => {
  var target = {};
  for (var prop in source)
    if (__hasOwnProp.call(source, prop) && exclude.indexOf(prop) < 0)
      target[prop] = source[prop];
  if (source != null && __getOwnPropSymbols)
    for (var prop of __getOwnPropSymbols(source)) {
      if (exclude.indexOf(prop) < 0 && __propIsEnum.call(source, prop))
        target[prop] = source[prop];
    }
  return target;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/index.js
var src_exports = {};
__export(src_exports, {
  SessionError: () => SessionError,
  adapters: () => adapters,
  create: () => create,
  memoryStorage: () => memoryStorage
});
module.exports = __toCommonJS(src_exports);

// src/headers.js
function findHeader(headers, name) {
  if (!headers || typeof headers !== "object") return void 0;
  if (typeof headers.get === "function" && typeof headers.forEach === "function") {
    const value = headers.get(name);
    return value === null ? void 0 : value;
  }
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) {
      const value = headers[key];
      return Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return void 0;
}
function withHeader(headers, name, value) {
  const out = {};
  const wanted = name.toLowerCase();
  if (headers && typeof headers === "object") {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() !== wanted) out[key] = headers[key];
    }
  }
  if (typeof value === "string") out[name] = value;
  return out;
}
function plainHeaders(headers) {
  if (!headers || typeof headers !== "object") return {};
  if (typeof headers.forEach === "function" && typeof headers.get === "function") {
    const out = {};
    headers.forEach((value, key) => {
      out[key] = value;
    });
    return out;
  }
  return headers;
}

// src/token.js
var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
var VALUE = {};
for (let i = 0; i < ALPHABET.length; i += 1) VALUE[ALPHABET[i]] = i;
var PREFIX_CHARS = 20;
function decodeQuads(text) {
  const bytes = [];
  for (let i = 0; i + 4 <= text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j += 1) {
      const v = VALUE[text[i + j]];
      if (v === void 0) return null;
      n = n * 64 + v;
    }
    bytes.push(n >> 16 & 255, n >> 8 & 255, n & 255);
  }
  return bytes;
}
var hex = (bytes) => bytes.map((b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
function readPrefix(token) {
  if (typeof token !== "string" || token.length < PREFIX_CHARS) return null;
  const bytes = decodeQuads(token.slice(0, PREFIX_CHARS));
  if (bytes === null) return null;
  const version = bytes[0];
  const line = hex(bytes.slice(5, 9));
  if (version === 1) return { version, line, generation: 0 };
  if (version === 2) {
    const generation = (bytes[9] << 24 >>> 0) + (bytes[10] << 16) + (bytes[11] << 8) + bytes[12];
    return { version, line, generation };
  }
  return null;
}

// src/rule.js
var RULE_1 = "rule 1";
var RULE_2_1 = "rule 2.1";
var RULE_2_2 = "rule 2.2";
var RULE_2_3 = "rule 2.3";
var RULE_2_4 = "rule 2.4";
var RULE_2_5 = "rule 2.5";
var RULE_3 = "rule 3";
var prefixOf = (token) => token === null ? null : readPrefix(token);
var lineOf = (token) => {
  const prefix = prefixOf(token);
  return prefix === null ? null : prefix.line;
};
var sameLine = (a, b) => a !== null && b !== null && a.line === b.line;
function lostWrite(kind, r, t, s) {
  return {
    kind,
    line: r ? r.line : null,
    generation: r ? r.generation : null,
    sentLine: t ? t.line : null,
    sentGeneration: t ? t.generation : null,
    storedLine: s ? s.line : null,
    storedGeneration: s ? s.generation : null
  };
}
function decide(answer, current) {
  const { kind, sent, value, ok } = answer;
  const S = current.token;
  const T = sent.token;
  const sameEpoch = sent.epoch === current.epoch;
  const unchanged = (step) => ({ step, outcome: "unchanged", entry: null, lost: null });
  if (value === "" || kind === "logout" && ok) {
    const carried = T === S || S !== null && T !== null && lineOf(S) !== null && lineOf(T) === lineOf(S);
    if (!sameEpoch || !carried) return unchanged(RULE_3);
    return { step: RULE_3, outcome: "deleted", entry: { token: null, epoch: current.epoch + 1 }, lost: null };
  }
  if (typeof value !== "string") return unchanged(RULE_1);
  const R = value;
  if (kind === "login") {
    if (!sameEpoch) return unchanged(RULE_2_1);
    return { step: RULE_2_1, outcome: "stored", entry: { token: R, epoch: current.epoch + 1 }, lost: null };
  }
  if (!sameEpoch) return unchanged(RULE_2_2);
  if (T === S) return { step: RULE_2_3, outcome: "stored", entry: { token: R, epoch: current.epoch }, lost: null };
  const r = readPrefix(R);
  const s = prefixOf(S);
  if (sameLine(r, s) && r.generation > s.generation) {
    return { step: RULE_2_4, outcome: "stored", entry: { token: R, epoch: current.epoch }, lost: null };
  }
  const t = prefixOf(T);
  if (sameLine(r, t) && r.generation === t.generation) return unchanged(RULE_2_5);
  const kindOfLoss = sameLine(r, t) ? "same generation" : "refused";
  return { step: RULE_2_5, outcome: "unchanged", entry: null, lost: lostWrite(kindOfLoss, r, t, s) };
}

// src/store.js
var EMPTY = Object.freeze({ token: null, epoch: 0 });
function decode(raw) {
  if (raw === void 0 || raw === null || raw === "") return EMPTY;
  let value = raw;
  if (typeof raw === "string") {
    if (raw[0] !== "{") return { token: raw, epoch: 0 };
    try {
      value = JSON.parse(raw);
    } catch (e) {
      return EMPTY;
    }
  }
  if (!value || typeof value !== "object") return EMPTY;
  const token = typeof value.token === "string" && value.token !== "" ? value.token : null;
  const epoch = Number.isSafeInteger(value.epoch) && value.epoch >= 0 ? value.epoch : 0;
  return { token, epoch };
}
function createStore(storage, key, decide2 = decide) {
  function read() {
    return decode(storage.get(key));
  }
  function write(entry) {
    storage.set(key, JSON.stringify({ token: entry.token, epoch: entry.epoch }));
  }
  function snapshot() {
    return read();
  }
  function advance() {
    const current = read();
    write({ token: current.token, epoch: current.epoch + 1 });
  }
  function forget() {
    const { epoch } = read();
    write({ token: null, epoch: epoch + 1 });
  }
  function acceptAnswer(answer) {
    const decision = decide2(answer, read());
    if (decision.entry !== null) write(decision.entry);
    return decision;
  }
  return { read, snapshot, advance, forget, acceptAnswer };
}

// src/errors.js
var SessionError = class extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = "SessionError";
    this.code = code;
    if (details) {
      for (const key of Object.keys(details)) {
        if (details[key] !== void 0) this[key] = details[key];
      }
    }
  }
};
function causes(header, cors) {
  const proxy = `a proxy or API gateway between the client and the server strips the \`${header}\` header (fix: let it pass the header through, in requests and in responses, even when its value is empty)`;
  if (!cors) return proxy;
  return `the answer is cross-origin and CORS does not expose \`${header}\` to scripts (fix: the server must list it in Access-Control-Expose-Headers and accept it in Access-Control-Allow-Headers; with tower-http: CorsLayer::new().expose_headers([...]).allow_headers([...])), or ${proxy}`;
}
function headerMissing(header, path, answer) {
  return new SessionError(
    "HEADER_MISSING",
    `sealed-session: the login (${path}) was answered ${answer.status} without the \`${header}\` header, so there is no session to keep. Likely cause: ${causes(header, answer.cors)}. If the server uses another header name, pass it as create({ header }).`,
    { status: answer.status, data: answer.data, response: answer.response }
  );
}
function stillUnauthorized(header, url, answer) {
  return new SessionError(
    "STILL_UNAUTHORIZED",
    `sealed-session: ${url} was answered 401 again right after a fresh login, so the server did not get the session back. Likely cause: ${causes(header, answer.cors)}. Not retried, to spare the platform's login rate limit.`,
    { status: answer.status, data: answer.data, response: answer.response }
  );
}
function loginFailed(path, answer) {
  const data = answer.data;
  const message = data && typeof data === "object" && typeof data.message === "string" ? data.message : "no message";
  return new SessionError("LOGIN_FAILED", `sealed-session: the login (${path}) failed with status ${answer.status}: ${message}`, {
    status: answer.status,
    statusCode: answer.status,
    data,
    response: answer.response
  });
}
function platformLoginFailed(platform, error) {
  const detail = error && (error.errMsg || error.errorMessage || error.message) || String(error);
  return new SessionError("PLATFORM_LOGIN_FAILED", `sealed-session: ${platform} login failed: ${detail}`, { cause: error });
}
function configError(message) {
  return new SessionError("CONFIG", `sealed-session: ${message}`);
}

// src/client.js
var OWN = /* @__PURE__ */ new Set(["login"]);
var CALLBACKS = ["success", "fail", "complete"];
var is2xx = (status) => status >= 200 && status < 300;
function passThrough(options) {
  const call = {};
  for (const key of Object.keys(options)) {
    if (OWN.has(key) || CALLBACKS.includes(key) || options[key] === void 0) continue;
    call[key] = options[key];
  }
  return call;
}
async function withCallbacks(options, work) {
  let result;
  try {
    result = await work();
  } catch (error) {
    if (typeof options.fail === "function") options.fail(error);
    if (typeof options.complete === "function") options.complete(error);
    throw error;
  }
  if (typeof options.success === "function") options.success(result);
  if (typeof options.complete === "function") options.complete(result);
  return result;
}
function outcome(answer) {
  if (answer.failed) throw answer.error;
  return answer.response;
}
function createClient(adapter, options, internals = {}) {
  const config = {
    baseUrl: options.baseUrl || "",
    header: options.header || "x-session",
    storageKey: options.storageKey || "sealed-session",
    loginPath: options.loginPath || (adapter.family() ? `/login/${adapter.family()}` : "/login"),
    logoutPath: options.logoutPath || "/logout",
    phonePath: options.phonePath || "/phone",
    openDataPath: options.openDataPath || "/open-data",
    autoLogin: options.autoLogin !== false,
    login: options.login,
    loginOptions: options.loginOptions || {},
    onLostWrite: options.onLostWrite
  };
  if (config.login !== void 0 && typeof config.login !== "function") {
    throw configError("login must be a function that returns (a promise of) what to post to the login path");
  }
  if (config.onLostWrite !== void 0 && typeof config.onLostWrite !== "function") {
    throw configError("onLostWrite must be a function: it is called with { kind, url, method, line, generation, ... } when a write is lost");
  }
  const store = createStore(adapter.storage, config.storageKey, internals.decide);
  let pendingLogin = null;
  const url = (path) => /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? path : config.baseUrl + path;
  async function send(options2, kind) {
    const sent = store.snapshot();
    const call = passThrough(options2);
    call.url = url(options2.url);
    call[adapter.headerKey] = withHeader(options2[adapter.headerKey], config.header, sent.token === null ? void 0 : sent.token);
    const answer = await adapter.send(call);
    answer.value = findHeader(answer.headers, config.header);
    const decision = store.acceptAnswer({ kind, sent, value: answer.value, ok: is2xx(answer.status) });
    if (decision.lost) reportLostWrite(Object.assign({}, decision.lost, { url: options2.url, method: call.method || "GET" }));
    return { answer, sent };
  }
  function reportLostWrite(report) {
    if (config.onLostWrite) {
      try {
        config.onLostWrite(report);
      } catch (error) {
        if (typeof console !== "undefined") console.error("sealed-session: onLostWrite threw", error);
      }
      return;
    }
    if (typeof console !== "undefined") {
      console.warn(
        `sealed-session: the write of ${report.method} ${report.url} was lost to a parallel request (${report.kind}): line ${report.line} generation ${report.generation} not kept; pass create({ onLostWrite }) to handle it`
      );
    }
  }
  async function loginOnce() {
    const body = config.login ? await config.login() : await adapter.login(config.loginOptions);
    const { answer } = await send({ url: config.loginPath, method: "POST", data: body }, "login");
    if (!is2xx(answer.status)) throw loginFailed(config.loginPath, answer);
    if (typeof answer.value !== "string" || answer.value === "") throw headerMissing(config.header, config.loginPath, answer);
    return answer.data;
  }
  function login() {
    if (pendingLogin === null) {
      try {
        store.advance();
      } catch (error) {
        return Promise.reject(error);
      }
      pendingLogin = loginOnce().finally(() => {
        pendingLogin = null;
      });
    }
    return pendingLogin;
  }
  async function attempt(options2) {
    const auto = options2.login === void 0 ? config.autoLogin : options2.login !== false;
    let fresh = false;
    if (options2.login === true && store.snapshot().token === null) {
      await login();
      fresh = true;
    }
    let { answer, sent } = await send(options2, "request");
    if (answer.status !== 401 || !auto) return outcome(answer);
    if (!fresh) {
      const now = store.snapshot().token;
      if (now === null || now === sent.token) await login();
      ({ answer } = await send(options2, "request"));
    }
    if (answer.status === 401) throw stillUnauthorized(config.header, options2.url, answer);
    return outcome(answer);
  }
  function request(options2) {
    return withCallbacks(options2, () => attempt(options2));
  }
  function logout(path, options2 = {}) {
    const call = Object.assign({ method: "POST" }, options2, { url: path || config.logoutPath });
    return withCallbacks(call, async () => {
      store.advance();
      return outcome((await send(call, "logout")).answer);
    });
  }
  function phoneNumber(code, options2 = {}) {
    return request(Object.assign({ method: "POST", login: true }, options2, { url: options2.url || config.phonePath, data: { code } }));
  }
  function openData(encryptedData, iv, options2 = {}) {
    return request(
      Object.assign({ method: "POST", login: true }, options2, { url: options2.url || config.openDataPath, data: { encryptedData, iv } })
    );
  }
  return {
    login,
    request,
    logout,
    phoneNumber,
    openData,
    /** The stored token, or null. */
    token: () => store.snapshot().token,
    /** Forgets the token here (the server's copy of the session is not touched). */
    forget: () => store.forget(),
    /** Where this client logs in. */
    loginPath: config.loginPath
  };
}

// src/adapters/common.js
function needs(name, api, names, hint = "") {
  if (!api || typeof api !== "object" && typeof api !== "function") {
    throw configError(`platform '${name}': the platform object is missing (got ${api === null ? "null" : typeof api})`);
  }
  const missing = names.filter((fn) => typeof api[fn] !== "function");
  if (missing.length) {
    throw configError(`platform '${name}': the platform object has no ${missing.join(", ")}${hint}`);
  }
}
function statusOf(value) {
  return typeof value === "number" && value >= 100 && value <= 599 ? value : void 0;
}
function sendWith(request, call, shape) {
  return new Promise((resolve, reject) => {
    const answer = (res, failed) => {
      const status = statusOf(res[shape.status]) !== void 0 ? res[shape.status] : statusOf(res.status !== void 0 ? res.status : res.statusCode);
      const rawHeaders = res[shape.headers] !== void 0 ? res[shape.headers] : res.headers || res.header;
      return { status, headers: plainHeaders(rawHeaders), data: res.data, response: res, failed, error: failed ? res : void 0 };
    };
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      fn(value);
    };
    const returned = request(
      Object.assign({}, call, {
        success: (res) => settle(resolve, answer(res || {}, false)),
        fail: (err) => {
          const e = err || {};
          const status = statusOf(e[shape.status]) !== void 0 ? e[shape.status] : statusOf(e.status !== void 0 ? e.status : e.statusCode);
          if (status !== void 0) settle(resolve, answer(e, true));
          else settle(reject, err);
        }
      })
    );
    if (returned && typeof returned.then === "function") returned.then(void 0, () => {
    });
  });
}
function loginWith(name, login, options) {
  return new Promise((resolve, reject) => {
    if (typeof login !== "function") {
      reject(platformLoginFailed(name, { errMsg: `${name} is not available here: pass create({ login }) to say what to post` }));
      return;
    }
    let settled = false;
    const returned = login(
      Object.assign({}, options, {
        success: (res) => {
          if (!settled) resolve(res || {});
          settled = true;
        },
        fail: (err) => {
          if (!settled) reject(platformLoginFailed(name, err));
          settled = true;
        }
      })
    );
    if (returned && typeof returned.then === "function") returned.then(void 0, () => {
    });
  });
}
function syncStorage(api) {
  return {
    get: (key) => api.getStorageSync(key),
    set: (key, value) => api.setStorageSync(key, value),
    remove: (key) => api.removeStorageSync(key)
  };
}
function codeBody(res, name) {
  const code = res.code || res.authCode;
  const anonymous = res.anonymousCode || res.anonymous_code;
  if (typeof code !== "string" && typeof anonymous !== "string") {
    throw platformLoginFailed(name, { errMsg: "the login answered without a code" });
  }
  const body = {};
  if (typeof code === "string") body.code = code;
  if (typeof anonymous === "string") body.anonymous_code = anonymous;
  return body;
}

// src/adapters/miniprogram.js
var SYNC = ["request", "getStorageSync", "setStorageSync", "removeStorageSync"];
var WX_SHAPE = { status: "statusCode", headers: "header" };
var MY_SHAPE = { status: "status", headers: "headers" };
function wxLike(name, family, api) {
  needs(name, api, SYNC);
  return {
    name,
    family: () => family,
    headerKey: "header",
    storage: syncStorage(api),
    send: (call) => sendWith(api.request.bind(api), call, WX_SHAPE),
    login: async (options) => codeBody(await loginWith(`${name}.login`, api.login && api.login.bind(api), options), name)
  };
}
var wx = (api) => wxLike("wx", "wechat", api);
var qq = (api) => wxLike("qq", "qq", api);
var tt = (api) => wxLike("tt", "douyin", api);
var ks = (api) => wxLike("ks", "kuaishou", api);
function swan(api) {
  needs("swan", api, SYNC);
  const [call, login] = typeof api.getLoginCode === "function" ? ["swan.getLoginCode", api.getLoginCode] : ["swan.login", api.login];
  return {
    name: "swan",
    family: () => "baidu",
    headerKey: "header",
    storage: syncStorage(api),
    send: (call2) => sendWith(api.request.bind(api), call2, WX_SHAPE),
    login: async (options) => codeBody(await loginWith(call, login && login.bind(api), options), "swan")
  };
}
function my(api) {
  needs("my", api, SYNC);
  return {
    name: "my",
    family: () => "alipay",
    headerKey: "headers",
    storage: {
      get: (key) => {
        const res = api.getStorageSync({ key });
        return res && typeof res === "object" ? res.data : res;
      },
      set: (key, data) => api.setStorageSync({ key, data }),
      remove: (key) => api.removeStorageSync({ key })
    },
    send: (call) => sendWith(api.request.bind(api), call, MY_SHAPE),
    login: async (options) => {
      const res = await loginWith("my.getAuthCode", api.getAuthCode && api.getAuthCode.bind(api), Object.assign({ scopes: "auth_base" }, options));
      return codeBody(res, "my");
    }
  };
}
var UNI_FAMILIES = {
  "mp-weixin": "wechat",
  "mp-qq": "qq",
  "mp-toutiao": "douyin",
  "mp-alipay": "alipay",
  "mp-baidu": "baidu",
  "mp-kuaishou": "kuaishou"
};
var TARO_FAMILIES = { WEAPP: "wechat", QQ: "qq", TT: "douyin", ALIPAY: "alipay", SWAN: "baidu", kwai: "kuaishou" };
function uni(api) {
  needs(
    "uni",
    api,
    SYNC,
    ": in uni-app H5 the uni object only carries the calls your code names (uni's build keeps only those), so name them: create({ platform: 'uni', api: { request: uni.request, getStorageSync: uni.getStorageSync, setStorageSync: uni.setStorageSync, removeStorageSync: uni.removeStorageSync, getSystemInfoSync: uni.getSystemInfoSync, login: uni.login } })"
  );
  return {
    name: "uni",
    family: () => {
      try {
        const info = typeof api.getSystemInfoSync === "function" ? api.getSystemInfoSync() : void 0;
        return info && UNI_FAMILIES[info.uniPlatform] || null;
      } catch (e) {
        return null;
      }
    },
    headerKey: "header",
    storage: syncStorage(api),
    send: (call) => sendWith(api.request.bind(api), call, WX_SHAPE),
    login: async (options) => codeBody(await loginWith("uni.login", api.login && api.login.bind(api), options), "uni")
  };
}
function taro(api) {
  needs(
    "taro",
    api,
    SYNC,
    ": in Taro H5 these are not on the Taro object (Taro's build turns Taro.request and the like into imports), so pass them: create({ platform: 'taro', api: { ...Taro, request: Taro.request, getStorageSync: Taro.getStorageSync, setStorageSync: Taro.setStorageSync, removeStorageSync: Taro.removeStorageSync, login: Taro.login } })"
  );
  return {
    name: "taro",
    family: () => {
      try {
        return typeof api.getEnv === "function" && TARO_FAMILIES[api.getEnv()] || null;
      } catch (e) {
        return null;
      }
    },
    headerKey: "header",
    storage: syncStorage(api),
    send: (call) => sendWith(api.request.bind(api), call, WX_SHAPE),
    login: async (options) => codeBody(await loginWith("Taro.login", api.login && api.login.bind(api), options), "taro")
  };
}

// src/adapters/h5.js
function memoryStorage() {
  const map = /* @__PURE__ */ new Map();
  return {
    get: (key) => map.has(key) ? map.get(key) : void 0,
    set: (key, value) => map.set(key, value),
    remove: (key) => map.delete(key)
  };
}
function localStorageOf(scope) {
  const ls = scope && scope.localStorage;
  if (!ls) throw configError("storage 'local' needs window.localStorage: pass storage: 'memory' or your own { get, set, remove }");
  return {
    get: (key) => ls.getItem(key),
    set: (key, value) => ls.setItem(key, value),
    remove: (key) => ls.removeItem(key)
  };
}
function storageOf(option, scope) {
  if (option === void 0 || option === "local") return localStorageOf(scope);
  if (option === "memory") return memoryStorage();
  if (option && typeof option.get === "function" && typeof option.set === "function" && typeof option.remove === "function") {
    return option;
  }
  throw configError("storage must be 'local', 'memory' or an object with get, set and remove");
}
function prepare(call) {
  const _a = call, { url, method = "GET", data, header, timeout, dataType = "json", responseType } = _a, init = __objRest(_a, ["url", "method", "data", "header", "timeout", "dataType", "responseType"]);
  const headers = Object.assign({}, header);
  let target = url;
  let body;
  const upper = String(method).toUpperCase();
  if (data !== void 0 && (upper === "GET" || upper === "HEAD")) {
    if (data && typeof data === "object") {
      const query = new URLSearchParams(data).toString();
      if (query) target += (url.includes("?") ? "&" : "?") + query;
    } else if (data !== "") {
      target += (url.includes("?") ? "&" : "?") + String(data);
    }
  } else if (data !== void 0) {
    const raw = typeof data === "string" || typeof FormData !== "undefined" && data instanceof FormData || typeof Blob !== "undefined" && data instanceof Blob || typeof URLSearchParams !== "undefined" && data instanceof URLSearchParams || data instanceof ArrayBuffer || ArrayBuffer.isView(data);
    body = raw ? data : JSON.stringify(data);
    if (!raw && findHeader(headers, "content-type") === void 0) headers["content-type"] = "application/json";
  }
  if (timeout !== void 0 && init.signal === void 0 && typeof AbortSignal !== "undefined" && AbortSignal.timeout) {
    init.signal = AbortSignal.timeout(timeout);
  }
  Object.assign(init, { method: upper, headers });
  if (body !== void 0) init.body = body;
  return { target, init, dataType, responseType };
}
async function readBody(res, dataType, responseType) {
  if (responseType === "arraybuffer") return res.arrayBuffer();
  const text = await res.text();
  if (dataType !== "json") return text;
  try {
    return text === "" ? text : JSON.parse(text);
  } catch (e) {
    return text;
  }
}
function h5(options = {}) {
  const scope = options.scope || globalThis;
  const doFetch = options.fetch || (scope.fetch ? scope.fetch.bind(scope) : void 0);
  if (typeof doFetch !== "function") throw configError("platform 'h5' needs fetch: pass it as create({ platform: 'h5', fetch })");
  return {
    name: "h5",
    family: () => null,
    headerKey: "header",
    storage: storageOf(options.storage, scope),
    async send(call) {
      const { target, init, dataType, responseType } = prepare(call);
      const res = await doFetch(target, init);
      const headers = plainHeaders(res.headers);
      const data = await readBody(res, dataType, responseType);
      const response = { statusCode: res.status, header: headers, data };
      return { status: res.status, headers, data, response, failed: false, cors: res.type === "cors" };
    },
    login: () => Promise.reject(configError("platform 'h5' has no platform login: pass create({ login: async () => ({ ...what to post }) })"))
  };
}

// src/entry.js
var GLOBALS = { wx: "wx", qq: "qq", tt: "tt", my: "my", swan: "swan", ks: "ks", uni: "uni", taro: "Taro" };
function globalOf(name) {
  const scope = typeof globalThis !== "undefined" ? globalThis : {};
  const value = scope[GLOBALS[name]];
  if (!value) {
    throw configError(
      `no global \`${GLOBALS[name]}\` here: pass the platform object, e.g. create({ platform: '${name}', api: ${GLOBALS[name]} })`
    );
  }
  return value;
}
function checkOptions(options) {
  if (!options || typeof options !== "object") throw configError("create(options): options must be an object with a platform");
}
function adapterFor(name, factory, options) {
  if (name === "h5") {
    if (typeof options.login !== "function") {
      throw configError("platform 'h5' has no platform login: pass create({ platform: 'h5', login: async () => ({ ...what to post }) })");
    }
    return factory({ fetch: options.fetch, storage: options.storage, scope: options.scope });
  }
  return factory(options.api || globalOf(name));
}

// src/index.js
var adapters = Object.freeze({
  wx,
  qq,
  tt,
  my,
  swan,
  ks,
  uni,
  taro,
  h5: (options) => h5(options)
});
function adapterOf(options) {
  const platform = options.platform;
  if (platform && typeof platform === "object" && typeof platform.send === "function") return platform;
  if (typeof platform !== "string" || !Object.prototype.hasOwnProperty.call(adapters, platform)) {
    throw configError(`platform must be one of ${Object.keys(adapters).join(", ")} (or an adapter object); got ${String(platform)}`);
  }
  return adapterFor(platform, adapters[platform], options);
}
function create(options) {
  checkOptions(options);
  return createClient(adapterOf(options), options);
}
