// The sign-in and sign-up form.
export const en = {
  logIn: "Log in to your conversations",
  createAccount: "Create an account",
  signedOut: "You were signed out. Log in again to go back to where you were.",
  username: "Username",
  email: "Email",
  password: "Password",
  submitLogin: "Log in",
  submitRegister: "Register",
  toRegister: "No account? Register",
  toLogin: "Have an account? Log in",
};

export type AuthText = typeof en;
