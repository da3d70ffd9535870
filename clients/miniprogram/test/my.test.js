// The my adapter against the login example and a stand-in for the platform's login API, its
// documented shapes mirrored by the fake platform object.
import { adapterSuite } from './suite.js'
import { alipayLogin } from './logins.js'

adapterSuite('my', alipayLogin)
