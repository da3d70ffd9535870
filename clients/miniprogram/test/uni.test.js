// The uni adapter against the login example, its documented shapes mirrored by the fake platform.
import { adapterSuite } from './suite.js'
import { wechatLogin } from './logins.js'

adapterSuite('uni', { ...wechatLogin, env: undefined })
