// The ks adapter (Kuaishou) against the login example and a stand-in for Kuaishou's login API,
// its documented shapes mirrored by the fake platform object.
import { adapterSuite } from './suite.js'
import { kuaishouLogin } from './logins.js'

adapterSuite('ks', kuaishouLogin)
