import '@backstage/cli/asset-types';
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import ReactDOM from 'react-dom/client';
import backupCompliancePlugin from '../src/alpha';

// `yarn start` in this package: the plugin alone in a minimal app, against a
// backend on http://localhost:7007 (run `yarn start` at the repository root).
const app = createApp({ features: [catalogPlugin, backupCompliancePlugin] });

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
