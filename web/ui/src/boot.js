// The map page's first script: it starts the first load's requests (early.js) while the
// browser still downloads app.js, so that the data arrives with the code instead of after it.
import { startFirstLoad } from './early.js';

startFirstLoad();
