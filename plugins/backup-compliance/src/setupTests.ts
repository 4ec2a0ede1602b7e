import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// One async timeout for every findBy/waitFor of the repository: a busy 2-core CI
// machine can take over a second for a first render. Tests wait for the element,
// not for a time, so a long ceiling costs nothing when the machine is fast.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
