// The tt adapter against the login example and a stand-in for the platform's login API, its
// documented shapes mirrored by the fake platform object.
import { adapterSuite } from './suite.js'
import { douyinLogin } from './logins.js'

adapterSuite('tt', douyinLogin)
