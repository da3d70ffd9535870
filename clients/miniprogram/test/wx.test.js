// The wx adapter (WeChat) against the login example and a stand-in for WeChat's jscode2session.
import { adapterSuite } from './suite.js'
import { wechatLogin } from './logins.js'

adapterSuite('wx', wechatLogin)
