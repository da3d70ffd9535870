// One Taro build on Alipay (Taro.getEnv() 'ALIPAY'): the taro adapter logs in at /login/alipay
// with the code Taro.login gives (my.getAuthCode underneath).
import { adapterSuite } from './suite.js'
import { alipayLogin } from './logins.js'

adapterSuite('taro', { ...alipayLogin, env: 'ALIPAY' })
