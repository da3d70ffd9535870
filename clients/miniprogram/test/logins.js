// How each platform logs in during the tests: its stand-in, and how the example reaches it.
import {
  APPID,
  SECRET,
  startJscode2session,
  startDouyin,
  startAlipay,
  startBaidu,
  startKuaishou,
  DOUYIN_APPID,
  DOUYIN_SECRET,
  BAIDU_APP_KEY,
  BAIDU_SECRET,
  KUAISHOU_APPID,
  KUAISHOU_SECRET,
} from './support.js'

/** WeChat: wx.login codes exchanged at the stand-in's /sns/jscode2session. */
export const wechatLogin = {
  family: 'wechat',
  start: startJscode2session,
  serverOptions: (standIn) => ({ wechatUrl: standIn.url }),
  expectedId: (user) => `o-${user}`,
}

/** QQ: the same exchange as WeChat's, at QQ's own API base (the example's QQ_API_BASE). */
export const qqLogin = {
  family: 'qq',
  start: startJscode2session,
  serverOptions: (standIn) => ({
    wechatUrl: 'http://127.0.0.1:9',
    env: { QQ_APPID: APPID, QQ_SECRET: SECRET, QQ_API_BASE: standIn.url },
  }),
  expectedId: (user) => `o-${user}`,
}

/** Douyin: tt.login's code and anonymousCode, posted as JSON to v2/jscode2session. */
export const douyinLogin = {
  family: 'douyin',
  start: startDouyin,
  serverOptions: (standIn) => ({
    wechatUrl: 'http://127.0.0.1:9',
    env: { DOUYIN_APPID, DOUYIN_SECRET, DOUYIN_API_BASE: standIn.url },
  }),
  expectedId: (user) => `tt-${user}`,
}

/** Alipay: my.getAuthCode's authCode, exchanged at the RSA2-signed gateway. */
export const alipayLogin = {
  family: 'alipay',
  start: startAlipay,
  serverOptions: (standIn) => ({ wechatUrl: 'http://127.0.0.1:9', env: standIn.env }),
  expectedId: (user) => `al-${user}`,
}

/** Baidu: swan.getLoginCode's code, posted as a form (client_id is the App Key) to jscode2sessionkey. */
export const baiduLogin = {
  family: 'baidu',
  start: startBaidu,
  serverOptions: (standIn) => ({
    wechatUrl: 'http://127.0.0.1:9',
    env: { BAIDU_APPKEY: BAIDU_APP_KEY, BAIDU_SECRET, BAIDU_API_BASE: standIn.url },
  }),
  expectedId: (user) => `bd-${user}`,
}

/** Kuaishou: ks.login's code, posted as a form to oauth2/mp/code2session. */
export const kuaishouLogin = {
  family: 'kuaishou',
  start: startKuaishou,
  serverOptions: (standIn) => ({
    wechatUrl: 'http://127.0.0.1:9',
    env: { KUAISHOU_APPID, KUAISHOU_SECRET, KUAISHOU_API_BASE: standIn.url },
  }),
  expectedId: (user) => `ks-${user}`,
}
