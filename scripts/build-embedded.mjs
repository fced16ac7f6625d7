console.log("embedded build: pending");
