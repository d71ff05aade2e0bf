// `mmsp reconcile` against the sandbox with a modest file (the 5,000-order run is reconcile-5000.ci.test.ts).
import { reconcileCliSuite } from './support/reconcile-cli-suite.js';

reconcileCliSuite({ total: 400, perKind: 8, family: 'gateway', otherFamily: 'quickPay' });
