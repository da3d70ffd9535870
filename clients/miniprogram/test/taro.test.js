// The taro adapter against the login example, its documented shapes mirrored by the fake platform.
import { adapterSuite } from './suite.js'
import { wechatLogin } from './logins.js'

adapterSuite('taro', { ...wechatLogin, env: undefined })
