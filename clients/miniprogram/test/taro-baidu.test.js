// One Taro build on Baidu (Taro.getEnv() 'SWAN'): the taro adapter logs in at /login/baidu with
// the code Taro.login gives (swan.login underneath).
import { adapterSuite } from './suite.js'
import { baiduLogin } from './logins.js'

adapterSuite('taro', { ...baiduLogin, env: 'SWAN' })
