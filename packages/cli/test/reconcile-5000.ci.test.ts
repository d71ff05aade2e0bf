// `mmsp reconcile` finds every planted difference in a file of 5,000 orders (issue #16, "How this
// is judged"): 5,000 quick pay orders created through the client in the sandbox, 20 differences of
// each kind. CI only for its time (about a minute of planting), not for missing software.
import { reconcileCliSuite } from './support/reconcile-cli-suite.js';

reconcileCliSuite({ total: 5000, perKind: 20, family: 'quickPay', otherFamily: 'gateway' });
