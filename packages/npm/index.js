// The ES module entry: the same objects as `require('portone-mock')` (mock.cjs), so a
// program that loads the package both ways shares one set of running servers.
export {
  API_KEY,
  API_SECRET,
  BINARY_ENV,
  MockAdmin,
  MockAdminError,
  MockError,
  MockServer,
  binaryPath,
  startMock,
} from './mock.cjs';
