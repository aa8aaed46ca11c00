module.exports = "hello from strata-npm-demo";
