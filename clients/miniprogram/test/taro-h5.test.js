// The taro adapter in a Taro H5 build: Taro.request rejects a non-2xx answer (some versions),
// which arrives through `fail` with the fetch Response; Taro.getEnv() is 'WEB', so the login
// route is given (an H5 build has no platform login of its own; here the page's Taro.login
// stands in for the WeChat OAuth code an H5 page in WeChat gets).
import { adapterSuite } from './suite.js'
import { wechatLogin } from './logins.js'

adapterSuite('taro-h5', { ...wechatLogin, createOptions: { loginPath: '/login/wechat' } })
