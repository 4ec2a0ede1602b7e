import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The scorecard page; also what the sidebar item links to. */
export const scorecardRouteRef = createRouteRef();
