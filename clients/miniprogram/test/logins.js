// How each platform logs in during the tests: its stand-in, and how the example reaches it.
import { startJscode2session } from './support.js'

/** WeChat: wx.login codes exchanged at the stand-in's /sns/jscode2session. */
export const wechatLogin = {
  family: 'wechat',
  start: startJscode2session,
  serverOptions: (standIn) => ({ wechatUrl: standIn.url }),
  expectedId: (user) => `o-${user}`,
}
