// The entry module. workerd checks every export of the main module as a handler,
// so the only export here is the app; helpers live in the modules it imports.
import app from './app.js';

export default app;
